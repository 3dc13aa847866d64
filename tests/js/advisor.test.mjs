// advisor.js against vectors the Python advisor wrote: for every complete set of answers, the
// same recommendation (numbers within 1e-9 relative) and the same words. Run by
// tests/integration/test_advisor_vectors.py, which passes the file in SPANVERO_VECTORS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { close } from "./agree.mjs";

const require = createRequire(import.meta.url);
const advisor = require("../../static/js/advisor.js");
const { data, vectors } = JSON.parse(readFileSync(process.env.SPANVERO_VECTORS, "utf8"));


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
