// Progressive enhancement only: every page works without this file.
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
