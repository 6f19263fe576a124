// Prints, as JSON, the prompt-injection regular expressions that two npm packages ship:
//   @andersmyrmel/vard (MIT): the `var <kind>Patterns = [...]` arrays of dist/index.js
//   llmverify (MIT): the `const PATTERNS = {...}` table of dist/csm6/security/prompt-injection.js
// Usage: node npm_patterns.js <vard package dir> <llmverify package dir>
// Each array / object literal is cut out of the shipped file and evaluated on its own, so no
// package code runs. Output: [{source, kind, pattern, flags}].
"use strict";
const fs = require("fs");
const path = require("path");

function evalLiteral(text) {
  return new Function("return (" + text + ");")();
}

function vardPatterns(dir) {
  const src = fs.readFileSync(path.join(dir, "dist", "index.js"), "utf8");
  const out = [];
  const re = /^var ([a-zA-Z]+)Patterns = (\[[\s\S]*?\n\]);/gm;
  let m;
  while ((m = re.exec(src)) !== null) {
    if (m[1] === "all") continue;
    for (const p of evalLiteral(m[2])) {
      out.push({ source: "@andersmyrmel/vard", kind: p.type || m[1], pattern: p.regex.source,
                 flags: p.regex.flags });
    }
  }
  return out;
}

function llmverifyPatterns(dir) {
  const file = path.join(dir, "dist", "csm6", "security", "prompt-injection.js");
  const src = fs.readFileSync(file, "utf8");
  const m = /^const PATTERNS = (\{[\s\S]*?\n\});/m.exec(src);
  if (!m) throw new Error("no PATTERNS table in " + file);
  const out = [];
  for (const [kind, entry] of Object.entries(evalLiteral(m[1]))) {
    for (const r of entry.patterns) {
      out.push({ source: "llmverify", kind, pattern: r.source, flags: r.flags });
    }
  }
  return out;
}

const [vardDir, llmverifyDir] = process.argv.slice(2);
if (!vardDir || !llmverifyDir) {
  console.error("usage: node npm_patterns.js <vard dir> <llmverify dir>");
  process.exit(2);
}
const all = [...vardPatterns(vardDir), ...llmverifyPatterns(llmverifyDir)];
if (all.length === 0) {
  console.error("no patterns found");
  process.exit(1);
}
process.stdout.write(JSON.stringify(all, null, 1) + "\n");
