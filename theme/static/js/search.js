// Search page: runs the query in the address (?q=&agency=&tag=&year=) against the
// Pagefind index of this page's language. Everything else on the site works without it.
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

async function run() {
  const params = new URLSearchParams(window.location.search);
  fill(params);
  const query = (params.get("q") || "").trim();
  const filters = filtersFrom(params);
  if (!query && Object.keys(filters).length === 0) return;
  say(form.dataset.searching);
  const siteRoot = new URL(form.dataset.siteRoot, document.baseURI);
  let pagefind;
  try {
    pagefind = await import(new URL(form.dataset.pagefind, document.baseURI).href);
  } catch (error) {
    say(form.dataset.failed);
    return;
  }
  const search = await pagefind.search(query || null, { filters });
  const results = await Promise.all(search.results.slice(0, MAX_RESULTS).map((result) => result.data()));
  list.replaceChildren(...results.map((data) => item(data, siteRoot)));
  say(results.length ? form.dataset.found.replace("{count}", String(search.results.length)) : form.dataset.none);
}

run();
