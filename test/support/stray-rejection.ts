// Preloaded into the bot process by a test (node --import): a promise nobody handles, rejected after
// the bot has started, so the test can check that it is logged and not fatal.
setTimeout(() => {
  void Promise.reject(new Error('stray rejection from the test preload'));
}, 300);
