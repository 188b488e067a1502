// Progressive enhancement only: every page works without this file (no inline code: CSP).

// Leave empty fields out of filter URLs (/articles/?q=iran rather than
// /articles/?q=iran&date_from=&date_to=), so links stay short and shareable.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") return;
  for (const field of form.elements) {
    if (field.name && "value" in field && field.value === "" && !field.disabled) {
      field.disabled = true;
      // Re-enable after the browser has read the form, so Back shows it as it was.
      setTimeout(() => { field.disabled = false; }, 0);
    }
  }
});

// The list's "Narrow the results" panel: open beside the results on a wide screen, folded
// above them on a phone (without this script it is simply open).
for (const panel of document.querySelectorAll("details[data-collapse-below]")) {
  const wide = window.matchMedia(`(min-width: ${panel.dataset.collapseBelow})`);
  const apply = () => { panel.open = wide.matches; };
  apply();
  wide.addEventListener("change", apply);
  panel.querySelector("summary").addEventListener("click", (event) => {
    if (wide.matches) event.preventDefault();
  });
}

// Type-ahead for people, places and sections: the ARIA 1.2 combobox pattern (an input with
// a listbox popup; arrows move, Enter chooses, Escape closes). Choosing a name adds it to the
// list's filters; without the script the box is submitted and the server finds the name.
function combobox(box) {
  const input = box.querySelector("input");
  const list = document.createElement("ul");
  list.id = `${input.id}-listbox`;
  list.className = "combobox__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Matching names");
  list.hidden = true;
  box.appendChild(list);
  const status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  box.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  let results = [];
  let active = -1;
  let timer = null;
  let asked = "";

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      if (i === index) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  };
  const choose = (result) => {
    const url = new URL(window.location.href);
    url.pathname = box.closest("form").getAttribute("action");
    url.searchParams.delete("page");
    url.searchParams.delete("add");
    const have = url.searchParams.getAll(result.param).map((v) => v.toLowerCase());
    if (!have.includes(result.value.toLowerCase())) url.searchParams.append(result.param, result.value);
    window.location.assign(url.toString());
  };
  const render = () => {
    list.replaceChildren();
    results.forEach((result, i) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${i}`;
      option.className = "combobox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = `${result.label} `;
      const kind = document.createElement("span");
      kind.className = "combobox__kind";
      kind.textContent = `(${result.kind})`;
      option.appendChild(kind);
      option.addEventListener("mousedown", (event) => { event.preventDefault(); choose(result); });
      list.appendChild(option);
    });
    status.textContent = results.length ? `${results.length} names found` : "No matching names";
    if (results.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
  };
  const ask = async () => {
    const typed = input.value.trim();
    if (typed.length < 2) { results = []; render(); return; }
    if (typed === asked) return;
    asked = typed;
    try {
      const response = await fetch(`${box.dataset.source}?q=${encodeURIComponent(typed)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok || input.value.trim() !== typed) return;
      results = (await response.json()).results;
      active = -1;
      render();
    } catch (error) {
      results = [];
      close();
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && results.length) {
      event.preventDefault();
      if (list.hidden) render();
      highlight((active + 1) % results.length);
    } else if (event.key === "ArrowUp" && results.length) {
      event.preventDefault();
      highlight(active <= 0 ? results.length - 1 : active - 1);
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(results[active]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

document.querySelectorAll("[data-combobox]").forEach(combobox);
