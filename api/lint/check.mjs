// The gate of make spec-lint over Spectral's findings (spectral lint -f json):
// it fails on a warning or error from spectral:oas, or an error from the OWASP
// ruleset (owasp:*), listing those, a few per rule, and their counts per rule.
//   node check.mjs findings.json            the gate
//   node check.mjs findings.json --report   every finding counted per rule, with
//                                           examples; never fails
import { readFileSync } from 'node:fs';

const [file, ...flags] = process.argv.slice(2);
const report = flags.includes('--report');
const findings = JSON.parse(readFileSync(file, 'utf8'));
const severity = ['error', 'warn', 'info', 'hint'];
const owasp = (f) => f.code.startsWith('owasp:');
// Severities are 0 error, 1 warn, 2 info, 3 hint.
const fails = (f) => f.severity <= (owasp(f) ? 0 : 1);

const shown = report ? findings : findings.filter(fails);
const perRule = report ? 3 : 10;
const at = (f) => `api/openapi.json:${f.range.start.line + 1} ${f.path.join('.') || '(document)'}`;

for (const [title, isOwasp] of [['spectral:oas', false], ['OWASP', true]]) {
  const byRule = new Map();
  for (const f of shown.filter((f) => owasp(f) === isOwasp)) {
    byRule.set(f.code, [...(byRule.get(f.code) ?? []), f]);
  }
  const rules = [...byRule].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
  const total = rules.reduce((n, [, fs]) => n + fs.length, 0);
  console.log(`\n== ${title}: ${total} ${report ? 'findings' : 'failing findings'} from ${rules.length} rules`);
  for (const [code, fs] of rules) {
    console.log(`${String(fs.length).padStart(6)}  ${severity[fs[0].severity].padEnd(5)}  ${code}`);
    for (const f of fs.slice(0, perRule)) console.log(`          ${at(f)}: ${f.message}`);
    if (fs.length > perRule) console.log(`          … and ${fs.length - perRule} more`);
  }
}

if (!report && shown.length > 0) {
  console.log(`\nspec-lint: ${shown.length} findings fail (spectral:oas warnings and errors, OWASP errors);` +
    ` all ${findings.length} are in api/lint/${file}, counted by make spec-lint-report`);
  process.exit(1);
}
