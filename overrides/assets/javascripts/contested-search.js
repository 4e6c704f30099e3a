// Readers' search with Pagefind, in Material's search dialog (overrides/partials/search.html).
// The index is sharded (contested/build/search.py): the first shard's bundle is loaded, the others
// are merged into it. Nothing is fetched until the reader opens the search.
(() => {
  "use strict";
  const script = document.currentScript;
  const dialog = document.querySelector("[data-ct-search]");
  const toggle = document.getElementById("__search");
  if (!script || !dialog || !toggle) return;
  const root = new URL("../../", script.src);  // this file is assets/javascripts/ in the site
  const bundle = new URL("pagefind/", root);
  const form = dialog.querySelector("form");
  const input = dialog.querySelector("input[name=query]");
  const meta = dialog.querySelector(".md-search-result__meta");
  const list = dialog.querySelector(".md-search-result__list");
  const selects = [...dialog.querySelectorAll("select[data-ct-filter]")];
  const placeholder = meta.textContent.trim();
  const MAX_RESULTS = 10;
  const MAX_SECTIONS = 3;
  let engine = null;
  let generation = 0;
  let timer = 0;
  let opener = null;

  function load() {
    engine = engine || (async () => {
      const response = await fetch(new URL("shards.json", bundle));
      if (!response.ok) throw new Error(`no search index (HTTP ${response.status})`);
      const manifest = await response.json();
      const shards = manifest.shards.map((s) => new URL(`${s.name}/`, bundle).href);
      if (!shards.length) return { search: async () => ({ results: [] }) };  // no stories yet
      const pagefind = await import(new URL("pagefind.js", shards[0]).href);
      // On the page's own thread, not a worker: the work per search is small, and it stays within
      // what the browser (and a benchmark's CPU and network emulation) accounts to the page.
      await pagefind.options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true });
      await pagefind.init();
      await Promise.all(shards.slice(1).map((shard) => pagefind.mergeIndex(shard)));
      fillFilters(manifest.filters);  // listed by the build: no filter index is fetched for them
      return pagefind;
    })();
    engine.catch(() => { engine = null; });  // offline or missing: try again next time
    return engine;
  }

  function fillFilters(filters) {
    for (const select of selects) {
      if (select.options.length > 1) continue;
      for (const value of filters[select.dataset.ctFilter] || []) select.add(new Option(value, value));
    }
  }

  // Pagefind's excerpts are text with <mark> around the words found: only those marks are kept.
  function excerpt(html) {
    const p = document.createElement("p");
    const inert = document.createElement("template");
    inert.innerHTML = html;
    for (const node of inert.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(node.textContent);
      }
    }
    return p;
  }

  function link(url, title, text, kind) {
    const a = document.createElement("a");
    a.href = url;
    a.className = `md-search-result__link ct-search-result__${kind}`;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const heading = document.createElement("div");
    heading.className = "ct-search-result__title";
    heading.textContent = title;
    article.append(heading, excerpt(text));
    a.append(article);
    return a;
  }

  function item(page) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const title = page.meta.title || page.url;
    // The claims (and other sections) the words were found in, each linked to its anchor.
    const sections = (page.sub_results || [])
      .filter((s) => s.url !== page.url && s.title !== title).slice(0, MAX_SECTIONS);
    li.append(link(page.url, title, sections.length ? "" : page.excerpt, "page"));
    for (const section of sections) li.append(link(section.url, section.title, section.excerpt, "section"));
    return li;
  }

  function count(term, total) {
    return total === 0 ? `No stories match “${term}”`
      : total === 1 ? "1 matching story"
        : total > MAX_RESULTS ? `${total} matching stories, the first ${MAX_RESULTS} shown`
          : `${total} matching stories`;
  }

  // For tests and bench/search.py: the query whose first result is shown (and when), and the query
  // whose results are all shown.
  function mark(name, term) {
    dialog.dataset[`${name}At`] = String(performance.now());
    dialog.dataset[name] = term;
  }

  async function search() {
    const mine = ++generation;
    const term = input.value.trim();
    if (!term) {
      list.replaceChildren();
      meta.textContent = placeholder;
      return;
    }
    let pagefind;
    try {
      pagefind = await load();
    } catch (error) {
      meta.textContent = "Search is not available right now.";
      return;
    }
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.ctFilter] = select.value;
    const found = await pagefind.search(term, { filters });
    if (mine !== generation || !found) return;
    const top = found.results.slice(0, MAX_RESULTS).map((r) => r.data());
    // Each result is shown as soon as it and those above it are loaded; the last ones stay until then.
    for (let i = 0; i < top.length; i++) {
      const page = await top[i];
      if (mine !== generation) return;
      if (i === 0) {
        list.replaceChildren();
        meta.textContent = count(term, found.results.length);
      }
      list.append(item(page));
      if (i === 0) mark("ctFirst", term);
    }
    if (!top.length) {
      list.replaceChildren();
      meta.textContent = count(term, 0);
    }
    mark("ctShown", term);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(search, 120);  // one search for a burst of key presses, not one each
  }

  function open() {
    if (!toggle.checked) {
      opener = document.activeElement;
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load().catch(() => {});
    input.focus();
    input.select();
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
    if (opener && opener !== document.body && document.contains(opener)) opener.focus();
    opener = null;
  }

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function links() {
    return [...list.querySelectorAll("a")];
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const inside = dialog.contains(document.activeElement);
    if (!inside && (event.key === "/" || event.key === "s") && !editable(document.activeElement)) {
      event.preventDefault();
      open();
    } else if (toggle.checked && event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (inside && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      const all = links();
      if (!all.length) return;
      event.preventDefault();
      const at = all.indexOf(document.activeElement);
      const next = event.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : at - 1;
      (next < 0 ? input : all[next]).focus();
    }
  }, true);

  input.addEventListener("focus", () => { if (!toggle.checked) open(); });
  input.addEventListener("input", schedule);
  for (const select of selects) select.addEventListener("change", search);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => { search(); input.focus(); }, 0);
  });
  toggle.addEventListener("change", () => {  // the header's search button, or the overlay
    if (toggle.checked) {
      load().catch(() => {});
      input.focus();
    }
  });
  list.addEventListener("click", (event) => {
    if (event.target.closest("a")) close();  // the page may only scroll to a claim: close the dialog
  });
})();
