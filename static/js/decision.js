// A form whose radio choice needs only some of its fields: `<form data-choice="decision">` names the radio group,
// and each field's container lists the choices it serves, `data-shown-for="return decline"`. Only the chosen
// choice's fields show (none before a choice); a field serving several choices may carry a label for each,
// `data-label-<choice>`. Hidden fields keep what was typed, and are sent: the server reads only what the choice
// needs. Without scripts every field shows, each label saying which choice it serves. A file of its own: the
// Content Security Policy allows no inline script.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-choice]")) {
    const radios = form.querySelectorAll(`input[type=radio][name="${form.dataset.choice}"]`);
    const containers = form.querySelectorAll("[data-shown-for]");

    const show = () => {
      const chosen = Array.from(radios).find((radio) => radio.checked)?.value;
      for (const container of containers) {
        const serves = container.dataset.shownFor.split(" ").includes(chosen);
        container.hidden = !serves;
        const label = container.querySelector("label");
        if (!label) continue;
        label.dataset.labelAll ??= label.textContent;
        // The choice's own label, keeping the form's label suffix (a colon) after it.
        const own = serves && container.getAttribute(`data-label-${chosen}`);
        const suffix = label.dataset.labelAll.match(/[:：]\s*$/)?.[0] ?? "";
        label.textContent = own ? `${own}${suffix}` : label.dataset.labelAll;
      }
    };
    for (const radio of radios) radio.addEventListener("change", show);
    show();
  }
});
