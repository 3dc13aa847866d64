// calculator.js against the vectors costs.py wrote: every number within 1e-9 relative, every
// flag, id and sentence identical. Run by tests/integration/test_calculator_vectors.py, which
// writes the vectors and passes their path in SPANVERO_VECTORS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const calculator = require("../../static/js/calculator.js");
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

test("there are at least 200 vectors", () => {
  assert.ok(vectors.length >= 200, `only ${vectors.length}`);
});

vectors.forEach((vector, index) => {
  test(`vector ${index}: ${vector.label}`, () => {
    const result = calculator.compare(vector.scenario, data);
    close(result, vector.result, "result");
    close(calculator.present(result, vector.scenario, data), vector.presented, "presented");
  });
});
