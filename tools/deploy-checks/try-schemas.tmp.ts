import { ensureSchemaLocations } from './src/schemas/schema-cache';
ensureSchemaLocations().then((l) => console.log(l), (e) => { console.error(e); process.exit(1); });
