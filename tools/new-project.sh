#!/usr/bin/env bash
# Scaffolds the config files of a project: tools/new-project.sh <lib|app> <name> <scope> <type>
set -euo pipefail
kind=$1 name=$2 scope=$3 type=$4
root="${kind}s/${name}"
depth="../.."
mkdir -p "$root/src"
cat > "$root/tsconfig.json" <<JSON
{
  "extends": "$depth/tsconfig.base.json",
  "include": ["src/**/*.ts"],
  "compilerOptions": { "noEmit": true, "types": ["node", "jest"] }
}
JSON
cat > "$root/jest.config.cjs" <<JS
module.exports = {
  ...require('$depth/jest.preset.cjs'),
  displayName: '$name',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
JS
cat > "$root/jest.int.config.cjs" <<JS
module.exports = {
  ...require('$depth/jest.preset.cjs'),
  displayName: '$name (integration)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
};
JS
targets='"lint": { "command": "eslint {projectRoot}" },
    "typecheck": { "command": "tsc -p {projectRoot}/tsconfig.json" },
    "test": { "command": "jest -c {projectRoot}/jest.config.cjs" },
    "int-test": { "command": "jest -c {projectRoot}/jest.int.config.cjs --runInBand" }'
if [ "$kind" = app ]; then
cat > "$root/tsconfig.app.json" <<JSON
{
  "extends": "$depth/tsconfig.base.json",
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts", "src/**/*.int-spec.ts"],
  "compilerOptions": { "outDir": "$depth/dist/apps/$name", "types": ["node"] }
}
JSON
targets="\"build\": {
      \"command\": \"tsc -p {projectRoot}/tsconfig.app.json && tsc-alias -p {projectRoot}/tsconfig.app.json\",
      \"outputs\": [\"{workspaceRoot}/dist/apps/$name\"]
    },
    \"serve\": {
      \"continuous\": true,
      \"command\": \"node --watch -r @swc-node/register {projectRoot}/src/main.ts\",
      \"options\": { \"env\": { \"SWC_NODE_PROJECT\": \"{projectRoot}/tsconfig.json\" } }
    },
    $targets"
fi
cat > "$root/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "$depth/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "$( [ "$kind" = app ] && echo application || echo library )",
  "tags": ["scope:$scope", "type:$type"],
  "targets": {
    $targets
  }
}
JSON
echo "scaffolded $root"
