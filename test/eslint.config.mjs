// n8n's default lint config (../eslint.config.mjs, run by `n8n-node lint`) holds the rules for the
// package's own code: no Node.js modules, no process, no timers. These tests, the simulator and the
// bench are not shipped and need all of those, so that pass leaves this folder out: `npm run lint`
// runs `n8n-node lint` with ESLint's config lookup from each file's folder (the default from ESLint
// 10 on; ESLint 9 needs ESLINT_FLAGS=unstable_config_lookup_from_file), which finds this file.
// The folder is linted by ../eslint.project.config.mjs, `npm run lint`'s second step.
export default [{ ignores: ['**'] }];
