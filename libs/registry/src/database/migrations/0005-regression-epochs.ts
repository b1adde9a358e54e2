import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Regressors report no accuracy: a training's epochs keep a loss and may lack an accuracy. The table is rebuilt
 * (SQLite cannot drop a NOT NULL constraint); its rows are carried over.
 */
export const regressionEpochsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('step_epochs').renameTo('step_epochs_0003').execute();
    await db.schema
      .createTable('step_epochs')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('loss', 'double precision', (c) => c.notNull())
      .addColumn('accuracy', 'double precision')
      .addColumn('val_loss', 'double precision')
      .addColumn('val_accuracy', 'double precision')
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('step_epochs_0005_pk', ['run_id', 'step', 'epoch'])
      .execute();
    await sql`
      insert into step_epochs (run_id, step, epoch, loss, accuracy, val_loss, val_accuracy, duration_ms)
      select run_id, step, epoch, loss, accuracy, val_loss, val_accuracy, duration_ms from step_epochs_0003`.execute(db);
    await db.schema.dropTable('step_epochs_0003').execute();
  },
};
