// Search as you type: after a short pause, ask the API for matches and redraw the list.
// The page works without this script (the form is a plain GET). Results are built with
// DOM calls and textContent only, so record text can never become markup.
(() => {
  "use strict";
  const box = document.getElementById("q");
  const list = document.getElementById("results");
  const status = document.getElementById("search-status");
  const schemaInput = document.getElementById("schema");
  if (!box || !list || !status) {
    return;
  }
  const DELAY_MS = 250;
  const MIN_CHARS = 2;
  let timer = null;
  let latest = 0;

  const tlpClass = (tlp) => "tlp-" + tlp.toLowerCase().replace("+", "-");

  const tag = (text, extra) => {
    const span = document.createElement("span");
    span.className = extra ? "tag " + extra : "tag";
    span.textContent = text;
    return span;
  };

  const draw = (hits, query) => {
    list.replaceChildren();
    for (const hit of hits) {
      const item = document.createElement("li");
      item.setAttribute("data-testid", "search-result");
      const link = document.createElement("a");
      link.href = "/entities/" + encodeURIComponent(hit.id);
      link.textContent = hit.caption;
      item.append(link, " ", tag(hit.schema_label), " ",
        tag("TLP:" + hit.tlp, tlpClass(hit.tlp)), " ", tag(hit.agency.toUpperCase(), "agency"));
      list.append(item);
    }
    status.textContent = hits.length
      ? hits.length + (hits.length === 1 ? " result." : " results.")
      : "No records you may see match \u201c" + query + "\u201d.";
  };

  const run = async () => {
    const query = box.value.trim();
    if (query.length < MIN_CHARS) {
      return;
    }
    const mine = ++latest;
    const params = new URLSearchParams({ q: query, limit: "20" });
    if (schemaInput && schemaInput.value) {
      params.set("schema", schemaInput.value);
    }
    try {
      const response = await fetch("/api/v1/search?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const hits = await response.json();
      if (mine !== latest) {
        return; // a newer query has been sent meanwhile
      }
      draw(hits, query);
      const page = new URLSearchParams(params);
      page.delete("limit");
      window.history.replaceState(null, "", "/search?" + page.toString());
    } catch (error) {
      if (mine === latest) {
        status.textContent = "Suggestions are unavailable; press Enter to search.";
      }
    }
  };

  box.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, DELAY_MS);
  });
})();
