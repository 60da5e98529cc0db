// Every temporary folder of a test run (the tests' own and those of the code they run, child
// processes included) goes under one folder of its own, which test/global-teardown.js removes.
const { mkdtempSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vidgan-test-run-'));
  process.env.VIDGAN_TEST_RUN_DIR = dir;
  process.env.TMPDIR = dir;
};
