// Search page: runs the query in the address (?q=&agency=&tag=&year=) against the
// Pagefind index of this page's language. The index comes in bundles (plugins/search):
// pagefind/ holds the content pages and the newest year in the default language,
// pagefind/<year>/ and pagefind/<year>-<lang>/ each other year in one language, and pagefind/bundles.json
// says which years and languages each holds. The
// bundles of this page's language (only the one of the year asked for, if any) are
// merged into one search. Everything else on the site works without it.
const form = document.querySelector("[data-search-form]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const MAX_RESULTS = 30;

function say(message) {
  status.textContent = message;
}

function fill(params) {
  for (const name of ["q", "agency", "tag", "year"]) {
    const field = form.elements.namedItem(name);
    if (field && params.has(name)) field.value = params.get(name);
  }
}

function filtersFrom(params) {
  const filters = {};
  for (const name of ["agency", "tag", "year"]) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

function item(data, siteRoot) {
  const li = document.createElement("li");
  li.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "release-item-title";
  const link = document.createElement("a");
  link.href = new URL(data.url.replace(/^\//, ""), siteRoot).href;
  link.textContent = (data.meta && data.meta.title) || data.url;
  heading.append(link);
  li.append(heading);
  if (data.meta && data.meta.date) {
    const date = document.createElement("p");
    date.className = "release-item-meta";
    date.textContent = data.meta.date;
    li.append(date);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  // Pagefind's excerpt is escaped text from our own sanitised pages, with <mark> around hits.
  excerpt.innerHTML = data.excerpt;
  li.append(excerpt);
  return li;
}

// Pagefind's languages without a stemmer (its index holds words as written): a word found for a
// query term starts with the term.
const UNSTEMMED = ["vi"];

// A word as Pagefind compares it: lower case, accents and punctuation left out.
function plain(word) {
  return word.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase();
}

function termsOf(query) {
  return plain(query.replace(/"/g, " ")).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function commonPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

// Whether a result holds a word for every query term. Where no word of an index starts with a
// term, Pagefind searches the longest start of it that some word has ("marathon" finds "mã"),
// and with one index per year that happens in every year without the word: the results of
// such an index are dropped. Every result of an index matched the same words: its first is checked.
async function foundEveryTerm(result, terms, stemmed) {
  const data = await result.data();
  const words = (data.raw_content || data.content || "").split(/[\r\n\s]+/g);
  const parts = new Set();
  for (const location of data.locations || []) {
    const word = plain(words[location] || "");
    for (const part of [word, ...word.split(/[^\p{L}\p{N}]+/u)]) if (part) parts.add(part);
  }
  const found = (term) =>
    [...parts].some((part) => part.startsWith(term) || (stemmed && commonPrefix(part, term) >= 3));
  return terms.every(found);
}

// The merged search's results less those of the bundles that answered for a shorter word. A bundle
// holds one year of releases in a language (the first one also the content pages): a search of
// each year gives its bundle's results, and the results left are the content pages.
async function onlyWholeMatches(pagefind, merged, query, filters, terms, stemmed, bundles) {
  const years = [...new Set(bundles.flatMap((bundle) => bundle.years.map(String)))];
  const unplaced = new Map(merged.results.map((result) => [result.id, result]));
  const groups = [];
  for (const year of years) {
    if (filters.year && filters.year !== year) continue;
    const found = await pagefind.search(query, { filters: { ...filters, year } });
    for (const result of found.results) unplaced.delete(result.id);
    groups.push(found.results);
  }
  groups.push([...unplaced.values()]);
  const whole = await Promise.all(
    groups.map((group) => group.length > 0 && foundEveryTerm(group[0], terms, stemmed)),
  );
  return groups.filter((_, n) => whole[n]).flat().sort((a, b) => b.score - a.score);
}

// The bundles to search, the first one loaded and the others merged into it: only those
// with pages in this language (Pagefind would fall back to another language's index).
function bundlesFor(manifest, lang, year) {
  const short = lang.split("-")[0];
  return manifest.bundles.filter(
    (bundle) =>
      (lang in bundle.languages || short in bundle.languages) &&
      (!year || bundle.years.map(String).includes(year)),
  );
}

async function manifestAt(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function run() {
  const params = new URLSearchParams(window.location.search);
  fill(params);
  const query = (params.get("q") || "").trim();
  const filters = filtersFrom(params);
  if (!query && Object.keys(filters).length === 0) return;
  say(form.dataset.searching);
  const siteRoot = new URL(form.dataset.siteRoot, document.baseURI);
  const entry = new URL(form.dataset.pagefind, document.baseURI);
  // Pagefind and the list of its bundles load at once: the list costs no extra round trip.
  const loading = import(entry.href);
  loading.catch(() => {}); // reported below, if there is a bundle to search
  let search;
  try {
    const manifest = await manifestAt(new URL("bundles.json", entry));
    const lang = (document.documentElement.lang || "").toLowerCase();
    const bundles = bundlesFor(manifest, lang, filters.year);
    if (bundles.length === 0) {
      list.replaceChildren();
      say(form.dataset.none);
      return;
    }
    const pagefind = await loading;
    // Result URLs relative to the site root, wherever the site is served from: a year's bundle
    // was indexed from the year's folder (its root), the newest from the site's.
    const path = (bundle) => new URL(`./${bundle.folder}`, entry).href;
    const base = (bundle) => `/${bundle.root || ""}`;
    await pagefind.options({ basePath: path(bundles[0]), baseUrl: base(bundles[0]) });
    await Promise.all(bundles.slice(1).map((bundle) => pagefind.mergeIndex(path(bundle), { baseUrl: base(bundle) })));
    const merged = await pagefind.search(query || null, { filters });
    const terms = termsOf(query);
    const stemmed = !UNSTEMMED.includes(lang.split("-")[0]);
    search = terms.length
      ? await onlyWholeMatches(pagefind, merged, query, filters, terms, stemmed, bundles)
      : merged.results;
  } catch (error) {
    say(form.dataset.failed);
    return;
  }
  const results = await Promise.all(search.slice(0, MAX_RESULTS).map((result) => result.data()));
  list.replaceChildren(...results.map((data) => item(data, siteRoot)));
  say(results.length ? form.dataset.found.replace("{count}", String(search.length)) : form.dataset.none);
}

run();
