// Removes the test run's temporary folder (test/global-setup.js). A process a test started may still
// be letting go of a file in it: retry, and only warn if it stays.
const { rmSync } = require('node:fs');

module.exports = async () => {
  const dir = process.env.VIDGAN_TEST_RUN_DIR;
  if (!dir) return;
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (error) {
    console.warn(`Could not remove the test run's temporary folder ${dir}: ${error.message}`);
  }
};
