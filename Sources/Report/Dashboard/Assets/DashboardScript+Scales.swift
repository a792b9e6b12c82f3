extension DashboardScript {
    /// `Logbook.smooth`, `Logbook.niceTicks`, `Logbook.logTicks` and the scales every chart uses.
    static let scales = #"""
const Logbook = {};

/** TensorBoard's smoothing: a debiased exponential moving average.
 *  For each finite value v (in order), with weight w in [0, 1):
 *    last = last·w + (1 − w)·v          (last starts at 0)
 *    smoothed = last / (1 − w^n)        (n = how many finite values were folded in so far; the division undoes
 *                                        the pull towards the initial 0, so smoothed[0] = v[0])
 *  NaN and ±∞ are passed through unchanged and not folded in. w ≥ 1 is treated as 0.999, w < 0 as 0. */
function smooth(values, weight) {
  const w = Math.min(Math.max(Number(weight) || 0, 0), 0.999);
  let last = 0;
  let folded = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    last = last * w + (1 - w) * value;
    folded += 1;
    return last / (1 - Math.pow(w, folded));
  });
}
Logbook.smooth = smooth;

/** A "nice" step near `rough`: 1, 2 or 5 × 10^k.
 *  exponent = floor(log10(rough)); fraction = rough / 10^exponent (in [1, 10));
 *  nice = 1 if fraction < 1.5, 2 if < 3, 5 if < 7, else 10 (Heckbert's rounding); step = nice · 10^exponent. */
function niceStep(rough) {
  const exponent = Math.floor(Math.log10(rough) + 1e-9);
  const power = Math.pow(10, exponent);
  const fraction = rough / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  return Number((nice * power).toPrecision(12));
}

/** Decimal digits that a multiple of `step` needs (0.005 → 3, 20 → 0). */
function stepDecimals(step) {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** Linear ticks that fit the data rather than starting at 0, so that 0.97 against 0.99 stays visible:
 *    step = niceStep((max − min) / (count − 1))
 *    domain = [floor(min / step)·step, ceil(max / step)·step]; ticks = every multiple of step in the domain.
 *  A single value v first widens to v ± 5 % of |v| (±1 for 0).
 *  niceTicks(0.97, 0.99): rough step 0.02 / 4 = 0.005 → step 0.005, ticks 0.97, 0.975, 0.98, 0.985, 0.99. */
function niceTicks(min, max, count = 5) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) { min = 0; max = 1; }
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const spread = min === 0 ? 1 : Math.abs(min) * 0.05;
    min -= spread; max += spread;
  }
  const step = niceStep((max - min) / Math.max(count - 1, 1));
  const decimals = stepDecimals(step);
  const round = (value) => Number(value.toFixed(decimals));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks = [];
  for (let k = first; k <= last; k += 1) ticks.push(round(k * step));
  return { min: round(first * step), max: round(last * step), step, ticks };
}
Logbook.niceTicks = niceTicks;

/** Log-axis ticks: the domain widens to whole decades [10^floor(log10 min), 10^ceil(log10 max)]; the ticks are the
 *  powers of ten in it, plus 2·10^k and 5·10^k when it spans fewer than three decades. Values ≤ 0 are ignored. */
function logTicks(min, max) {
  if (!(min > 0) || !(max > 0)) { min = 1; max = 10; }
  if (min > max) [min, max] = [max, min];
  let low = Math.floor(Math.log10(min) + 1e-9);
  let high = Math.ceil(Math.log10(max) - 1e-9);
  if (low === high) high += 1;
  const ticks = [];
  for (let k = low; k <= high; k += 1) {
    const power = Math.pow(10, k);
    ticks.push(Number(power.toPrecision(12)));
    if (high - low < 3 && k < high) {
      ticks.push(Number((2 * power).toPrecision(12)), Number((5 * power).toPrecision(12)));
    }
  }
  return { min: Number(Math.pow(10, low).toPrecision(12)), max: Number(Math.pow(10, high).toPrecision(12)), ticks };
}
Logbook.logTicks = logTicks;

/** A scale maps a data value to a pixel between range[0] and range[1]:
 *    linear: pixel = r0 + (v − d0) / (d1 − d0) · (r1 − r0)
 *    log:    pixel = r0 + (log10 v − log10 d0) / (log10 d1 − log10 d0) · (r1 − r0)   (v ≤ 0 → NaN: not drawn)
 *  `ticks` are the axis' tick values; `invert` maps a pixel back to a value. */
function makeScale(kind, values, range, tickCount = 5) {
  const finite = values.filter((v) => Number.isFinite(v) && (kind !== 'log' || v > 0));
  const low = finite.length ? Math.min(...finite) : NaN;
  const high = finite.length ? Math.max(...finite) : NaN;
  const fit = kind === 'log' ? logTicks(low, high) : niceTicks(low, high, tickCount);
  const [r0, r1] = range;
  const toUnit = kind === 'log' ? (v) => (v > 0 ? Math.log10(v) : NaN) : (v) => v;
  const u0 = toUnit(fit.min);
  const u1 = toUnit(fit.max);
  const scale = (v) => r0 + ((toUnit(v) - u0) / (u1 - u0)) * (r1 - r0);
  scale.invert = (pixel) => {
    const unit = u0 + ((pixel - r0) / (r1 - r0)) * (u1 - u0);
    return kind === 'log' ? Math.pow(10, unit) : unit;
  };
  scale.kind = kind;
  scale.domain = [fit.min, fit.max];
  scale.ticks = fit.ticks;
  return scale;
}

/** A categorical scale: categories spread evenly over the range, half a step from each end. */
function makeCategoricalScale(categories, range) {
  const [r0, r1] = range;
  const step = (r1 - r0) / Math.max(categories.length, 1);
  const index = new Map(categories.map((category, i) => [String(category), i]));
  const scale = (v) => (index.has(String(v)) ? r0 + step * (index.get(String(v)) + 0.5) : NaN);
  scale.kind = 'categorical';
  scale.ticks = categories.slice();
  scale.invert = (pixel) => categories[Math.min(Math.max(Math.floor((pixel - r0) / step), 0), categories.length - 1)];
  return scale;
}

/**
 * A short label for a number, at most 4 significant digits without trailing zeros (the report's
 * `SVG.compactNumber`): positional for 1e-4 <= |v| < 1e4 (0.0005, 0.9831, 1500); SI prefixes k, M, G, T for
 * 1e4 <= |v| < 1e15 (20k, 153.1k, 1.5M; a mantissa that rounds to 1000 takes the next prefix); otherwise mantissa and
 * exponent (1e-5, 2.5e-7). Non-numbers are shown as text.
 */
function formatNumber(value) {
  if (typeof value !== 'number') return String(value);
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value < 0 ? '-\u221e' : '\u221e';
  if (value === 0) return '0';
  const digits = 4;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e4) {
    const rounded = Number(value.toPrecision(digits));
    return Math.abs(rounded) >= 1000 ? String(Math.round(value)) : String(rounded);
  }
  if (magnitude >= 1e4 && magnitude < 1e15) {
    let exponent = Math.floor(Math.log10(magnitude) / 3);
    let mantissa = Number((value / Math.pow(1000, exponent)).toPrecision(digits));
    if (Math.abs(mantissa) >= 1000 && exponent < 4) {
      exponent += 1;
      mantissa = Number((mantissa / 1000).toPrecision(digits));
    }
    return String(mantissa) + ['', 'k', 'M', 'G', 'T'][exponent];
  }
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  return String(Number(mantissa)) + 'e' + exponent;
}
Logbook.formatNumber = formatNumber;

/**
 * Logbook.valueGroups(values, {drawn = false, maximumDistinct = 10, bins = 4}) → {labels, order}: the group of each
 * value, as the report groups a hyperparameter (`SweepReportData.groups`): by value, unless the spec draws it from a
 * distribution (`drawn`: random or TPE search, a value per trial) and there are more than maximumDistinct distinct
 * numbers — then in `bins` equal-count bins by rank, value v in bin floor(rank(v) · bins / n) with rank(v) its first
 * position among the n sorted values (equal values together), labelled "low–high". `order`: the groups ascending.
 */
function valueGroups(values, options = {}) {
  const maximumDistinct = options.maximumDistinct ?? 10, bins = options.bins ?? 4;
  const distinct = [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (!options.drawn || distinct.length <= maximumDistinct || !values.every((v) => typeof v === 'number')) {
    return { labels: values.slice(), order: distinct };
  }
  const sorted = values.slice().sort((a, b) => a - b);
  const firstRank = new Map();
  sorted.forEach((v, rank) => { if (!firstRank.has(v)) firstRank.set(v, rank); });
  const binOf = values.map((v) => Math.floor((firstRank.get(v) * bins) / values.length));
  const ranges = [];
  values.forEach((v, i) => {
    const range = ranges[binOf[i]] || (ranges[binOf[i]] = { low: v, high: v });
    range.low = Math.min(range.low, v); range.high = Math.max(range.high, v);
  });
  const label = (range) => formatNumber(range.low) + '\u2013' + formatNumber(range.high);
  return { labels: binOf.map((bin) => label(ranges[bin])), order: ranges.filter(Boolean).map(label) };
}
Logbook.valueGroups = valueGroups;
"""#
}
