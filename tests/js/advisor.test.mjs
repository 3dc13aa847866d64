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
const calculator = require("../../static/js/calculator.js");
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

// The calculator's reading of an advisor link: its parameters over the calculator's defaults.
const KEYS = {
  model: "model", precision: "precision", in: "input_mtok", out: "output_mtok", ctx: "context",
  conc: "concurrency", gpu: "gpu", gpus: "gpus", hours: "hours_per_day", hw: "hardware_usd",
  months: "amortization_months", tier: "tier", billing: "billing",
};

function linkedScenario(url) {
  const scenario = { ...data.calc.defaults };
  for (const [name, value] of new URL(url, "http://x").searchParams) {
    assert.ok(name in KEYS, `the calculator ignores ${name}`);
    scenario[KEYS[name]] = ["model", "precision", "gpu", "tier", "billing"].includes(name) ? value : Number(value);
  }
  return scenario;
}

// The lowest monthly cost calculator.js shows for the kind of option a placement allows.
function placementBest(run, result) {
  if (run === "local") return result.local.monthly_usd;
  if (run === "rented") {
    const usable = result.rental.filter((o) => o.status === "ok" && o.monthly_usd !== null);
    return usable.length ? Math.min(...usable.map((o) => o.monthly_usd)) : null;
  }
  return result.cheapest ? result.cheapest.monthly_usd : null;
}

test("every answer quotes the cheapest concurrency the calculator shows, and a link that fits", () => {
  for (const vector of vectors) {
    const label = JSON.stringify(vector.answers);
    const rec = advisor.recommend(data, vector.answers);
    if (rec.calculator_url === null) continue;
    const linked = linkedScenario(rec.calculator_url);
    const best = data.constants.concurrency
      .map((c) => placementBest(rec.run, calculator.compare({ ...linked, concurrency: c }, data.calc)))
      .filter((b) => b !== null);
    if (rec.cost === null) {
      assert.deepEqual(best, [], `${label}: a concurrency keeps up`);
      const result = calculator.compare(linked, data.calc);
      const fits = (rec.run !== "rented" && result.local.fits) ||
        (rec.run !== "local" && result.rental.some((o) => o.fits));
      assert.ok(fits, `${label}: linked to a scenario that cannot fit`);
    } else {
      assert.equal(rec.cost.monthly_usd, Math.min(...best), label);
    }
  }
});
