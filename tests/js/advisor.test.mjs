// advisor.js against vectors the Python advisor wrote: for every complete set of answers, the
// same recommendation (numbers within 1e-9 relative) and the same words. Run by
// tests/integration/test_advisor_vectors.py, which passes the file in SPANVERO_VECTORS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const advisor = require("../../static/js/advisor.js");
const { data, vectors } = JSON.parse(readFileSync(process.env.SPANVERO_VECTORS, "utf8"));

function close(actual, expected, path) {
  if (typeof expected === "number" && typeof actual === "number") {
    const scale = Math.max(Math.abs(expected), Math.abs(actual), 1e-300);
    assert.ok(Math.abs(actual - expected) / scale <= 1e-9, `${path}: ${actual} != ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: not an array`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((item, i) => close(actual[i], item, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const key of Object.keys(expected)) close(actual[key], expected[key], `${path}.${key}`);
  } else {
    assert.equal(actual, expected, path);
  }
}

test("every complete set of answers agrees", () => {
  assert.ok(vectors.length >= 20);
  for (const vector of vectors) {
    const label = JSON.stringify(vector.answers);
    assert.equal(advisor.nextQuestion(data.advisor, vector.answers), null, label);
    const rec = advisor.recommend(data, vector.answers);
    close(rec, vector.recommendation, label);
    close(advisor.present(rec, data.names, data.titles, data.constants), vector.presented, label);
  }
});
