// calculator.js against the vectors costs.py wrote: every number within 1e-9 relative, every
// flag, id and sentence identical; and each of its formatters (calculator.format) printing what
// its original in formatting.py or calculator/chart.py printed for the same values. Run by tests/integration/test_calculator_vectors.py, which
// writes the vectors and passes their path in SPANVERO_VECTORS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { close } from "./agree.mjs";

const require = createRequire(import.meta.url);
const calculator = require("../../static/js/calculator.js");
const { data, vectors, formats } = JSON.parse(readFileSync(process.env.SPANVERO_VECTORS, "utf8"));


vectors.forEach((vector, index) => {
  test(`vector ${index}: ${vector.label}`, () => {
    const result = calculator.compare(vector.scenario, data);
    close(result, vector.result, "result");
    close(calculator.present(result, vector.scenario, data), vector.presented, "presented");
  });
});

Object.keys(formats).forEach((name) => {
  test(`format.${name}`, () => {
    const { values, texts } = formats[name];
    assert.deepEqual(values.map((value) => calculator.format[name](value)), texts);
  });
});
