// The print view's "Print" button. Made here, so that without scripts no dead button shows (the browser's own
// print command does the same); a file of its own because the Content Security Policy allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const slot = document.getElementById("print-button-slot");
  if (!slot) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-primary";
  button.textContent = slot.dataset.label;
  button.addEventListener("click", () => window.print());
  slot.replaceWith(button);
});
