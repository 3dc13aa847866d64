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

// The option calculator.js shows cheapest of the kind a placement allows: its place (kind,
// option, GPUs) and monthly cost.
function placementPick(run, result) {
  let pick = null;
  if (run === "local") {
    const local = result.local;
    if (local.monthly_usd !== null) pick = { kind: "local", option: local.gpu, gpus: local.gpus, monthly_usd: local.monthly_usd };
  } else if (run === "rented") {
    const usable = result.rental.filter((o) => o.status === "ok" && o.monthly_usd !== null);
    const best = usable.reduce((a, o) => (a === null || o.monthly_usd < a.monthly_usd ? o : a), null);
    if (best !== null) {
      const unit = best.unit_gpus > 1 ? "/x" + best.unit_gpus : "";
      pick = { kind: "rental", option: `${best.provider}/${best.gpu}${unit}`, gpus: best.gpus, monthly_usd: best.monthly_usd };
    }
  } else {
    pick = result.cheapest;
  }
  return pick && { place: `${pick.kind} ${pick.option} ${pick.gpus}`, monthly_usd: pick.monthly_usd };
}

// As tests/integration/test_advisor_calculator_links.py: the cheapest place over the
// concurrencies, quoted at the fewest requests at once at which it is still the cheapest.
test("every answer quotes the cheapest place at the fewest requests at once, and a link that fits", () => {
  for (const vector of vectors) {
    const label = JSON.stringify(vector.answers);
    const rec = advisor.recommend(data, vector.answers);
    if (rec.calculator_url === null) continue;
    const linked = linkedScenario(rec.calculator_url);
    const levels = data.constants.concurrency;
    const picks = levels.map((c) => placementPick(rec.run, calculator.compare({ ...linked, concurrency: c }, data.calc)));
    const priced = picks.filter((p) => p !== null);
    if (rec.cost === null) {
      assert.deepEqual(priced, [], `${label}: a concurrency keeps up`);
      const result = calculator.compare(linked, data.calc);
      const fits = (rec.run !== "rented" && result.local.fits) ||
        (rec.run !== "local" && result.rental.some((o) => o.fits));
      assert.ok(fits, `${label}: linked to a scenario that cannot fit`);
    } else {
      const place = `${rec.cost.kind} ${rec.cost.option} ${rec.cost.gpus}`;
      const cheapest = priced.reduce((a, p) => (p.monthly_usd < a.monthly_usd ? p : a));
      assert.equal(place, cheapest.place, `${label}: not the cheapest place`);
      const fewest = levels.findIndex((c, i) => picks[i] !== null && picks[i].place === place);
      assert.equal(linked.concurrency, levels[fewest], `${label}: more requests at once than needed`);
      assert.equal(rec.cost.monthly_usd, picks[fewest].monthly_usd, label);
    }
  }
});
