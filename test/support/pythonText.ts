import * as fs from 'fs';

/**
 * Lets the unit tests (run from source by tsx) import a Python file as a string, as esbuild's `text` loader
 * does in the bundles: `import template from './run.py'`.
 */
require.extensions['.py'] = (module, filename) => {
  module.exports = fs.readFileSync(filename, 'utf8');
};
