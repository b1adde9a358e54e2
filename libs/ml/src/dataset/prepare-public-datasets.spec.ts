import { datasetSourceSchema, transformSchema, type ColumnReport, type DatasetSourceInput, type FeatureTransform } from '@slipway/contracts';
import { createTempArtifactStore, DATA_ROOT, type TempArtifactStore } from '../testing/temp-artifact-store';
import { prepareDataset } from './prepare-dataset';
import { ROW_NAMES_COLUMN } from './readers/csv-header';
import { getPreparedDataset } from './prepared-dataset-store';

// Public data sets, prepared as a stranger would: no column roles unless said (see data/README.md for sources and licenses).
describe('prepareDataset on public data sets', () => {
  let temp: TempArtifactStore;
  beforeAll(async () => {
    temp = await createTempArtifactStore();
  });
  afterAll(() => temp.remove());

  async function prepare(input: DatasetSourceInput) {
    const ref = await prepareDataset({ store: temp.store, source: datasetSourceSchema.parse(input), dataRoot: DATA_ROOT });
    const transform = await temp.store.getJson(ref.transform.digest, transformSchema);
    const line = (name: string): ColumnReport => {
      const found = ref.report.find((report) => report.name === name);
      if (!found) throw new Error(`no report line for ${name}`);
      return found;
    };
    const feature = (name: string): FeatureTransform | undefined => transform.features.find((candidate) => candidate.name === name);
    return { ref, transform, line, feature };
  }

  describe('palmerpenguins penguins-raw.csv (NA tokens, a date, identifiers, constants, free text)', () => {
    it('reads NA as missing, imputes, buckets, derives the date and drops the constants', async () => {
      const { ref, line, feature, transform } = await prepare({ uri: 'penguins-raw.csv', labelColumn: 'Species' });
      expect(ref.task).toBe('classification');
      expect(transform.label.task === 'classification' && transform.label.classes).toEqual([
        'Adelie Penguin (Pygoscelis adeliae)',
        'Chinstrap penguin (Pygoscelis antarctica)',
        'Gentoo penguin (Pygoscelis papua)',
      ]);
      expect(line('Culmen Length (mm)')).toMatchObject({ kind: 'numeric', source: 'inferred', missing: 2, action: expect.stringMatching(/^standardised; missing → median 4\d\.\d+$/) });
      expect(line('Delta 15 N (o/oo)')).toMatchObject({ kind: 'numeric', missing: 14 });
      expect(line('Body Mass (g)').action).toMatch(/^standardised; missing → median \d,\d{3}$/);
      expect(line('Region')).toMatchObject({ kind: 'dropped', distinct: 1, action: 'dropped: one value only ("Anvers")' });
      expect(line('Stage')).toMatchObject({ kind: 'dropped', action: 'dropped: one value only ("Adult, 1 Egg Stage")' });
      expect(line('Date Egg')).toMatchObject({ kind: 'date', distinct: 50, action: "year, month, day of week, day of year (UTC), each standardised; missing → each part's mean" });
      expect(line('Sex')).toMatchObject({ kind: 'categorical', missing: 11, distinct: 2 });
      expect(feature('Sex')).toMatchObject({ vocabulary: ['FEMALE', 'MALE'] });
      expect(line('Individual ID')).toMatchObject({ kind: 'dropped', distinct: 190, action: 'dropped: 190 of its 344 values are distinct (like an identifier or a name)' });
      expect(line('Comments')).toMatchObject({ kind: 'categorical', missing: 290, warnings: ['84% of its values are missing'] });
      expect(line('Comments').action).toMatch(/^one-hot, \d+ values, plus a missing bucket$/);
      // Sample numbers restart for each study, so they repeat: not an identifier by the rules, a pipeline drops them.
      expect(line('Sample Number')).toMatchObject({ kind: 'numeric', distinct: 152 });
    });

    it('drops the columns the pipeline names', async () => {
      const { line, ref } = await prepare({ uri: 'penguins-raw.csv', labelColumn: 'Species', columns: { drop: ['Sample Number', 'Individual ID'] } });
      expect(line('Sample Number')).toMatchObject({ kind: 'dropped', source: 'pipeline', action: 'dropped: set by the pipeline (columns.drop)' });
      expect(ref.schema.columns.filter((column) => column.kind === 'dropped').map((column) => column.name)).toEqual(['Sample Number', 'Region', 'Stage', 'Individual ID']);
    });
  });

  describe('vega_datasets seattle-weather.csv (a daily date, an imbalanced 5-class label)', () => {
    it('derives the date, warns about the rare classes and keeps every class in every split', async () => {
      const { ref, line } = await prepare({ uri: 'seattle-weather.csv', labelColumn: 'weather' });
      expect(line('date')).toMatchObject({ kind: 'date', distinct: 1461 });
      expect(line('weather')).toMatchObject({
        kind: 'label',
        distinct: 5,
        warnings: ['imbalanced: class "drizzle" is 3.7% of the labelled rows (54)', 'imbalanced: class "snow" is 1.6% of the labelled rows (23)'],
      });
      const dataset = await getPreparedDataset(temp.store, ref.dataset.digest);
      for (const split of [dataset.train, dataset.validation, dataset.test]) expect(new Set(split.labels).size).toBe(5);
    });
  });

  describe("MASS fgl.csv as R's write.csv left it (a blank row-names header, six imbalanced classes)", () => {
    it('names the row-names column and drops it as the identifier it is, and keeps the measurements', async () => {
      const { ref, line, feature } = await prepare({ uri: 'fgl.csv', labelColumn: 'type' });
      expect(line(ROW_NAMES_COLUMN)).toMatchObject({ kind: 'dropped', distinct: 214, action: expect.stringMatching(/^dropped: every value is distinct \(an identifier/) });
      expect(feature(ROW_NAMES_COLUMN)).toBeUndefined();
      for (const oxide of ['RI', 'Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe']) expect(line(oxide)).toMatchObject({ kind: 'numeric', missing: 0 });
      expect(line('type')).toMatchObject({ kind: 'label', distinct: 6 });
      expect(ref.task).toBe('classification');
    });
  });

  describe('vega_datasets cars as cars.jsonl (nulls, a categorical, a date, names, a continuous label)', () => {
    it('learns miles per gallon as a regression and drops the rows without it', async () => {
      const { ref, line } = await prepare({ uri: 'cars.jsonl', labelColumn: 'Miles_per_Gallon' });
      expect(ref.task).toBe('regression');
      expect(line('Miles_per_Gallon')).toMatchObject({ kind: 'label', missing: 8, action: expect.stringMatching(/random split; 8 rows without a label dropped$/) });
      expect(ref.rowCounts.train + ref.rowCounts.validation + ref.rowCounts.test).toBe(398);
      expect(line('Horsepower')).toMatchObject({ kind: 'numeric', missing: 6 });
      expect(line('Origin')).toMatchObject({ kind: 'categorical', distinct: 3, action: 'one-hot, 3 values' });
      expect(line('Year')).toMatchObject({ kind: 'date', distinct: 12 });
      expect(line('Name')).toMatchObject({ kind: 'dropped', distinct: 311, action: 'dropped: 311 of its 406 values are distinct (like an identifier or a name)' });
    });

    it('refuses it as classes, pointing to task: regression', async () => {
      await expect(prepare({ uri: 'cars.jsonl', labelColumn: 'Miles_per_Gallon', task: 'classification' })).rejects.toThrow(
        'label column "Miles_per_Gallon" looks continuous: 129 distinct numbers, not all integers; a classifier would learn one class per value. Set task: regression to predict the value (or bin it into classes first)',
      );
    });
  });
});
