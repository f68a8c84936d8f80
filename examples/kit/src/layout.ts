import { signOut } from "./sign-in.js";
import { avatar, h } from "./ui.js";

/** An app's left column: its name, then `content`, then who is signed in, with a sign-out button. */
export function sidebar(
  app: { icon: string; title: string; label: string },
  me: { id: string; name: string },
  ...content: Node[]
): HTMLElement {
  return h(
    "nav",
    { class: "sidebar", "aria-label": app.label },
    h(
      "header",
      { class: "sidebar-head" },
      h("span", { class: "brand-mark small", "aria-hidden": "true" }, app.icon),
      h("h1", null, app.title),
    ),
    content,
    h(
      "footer",
      { class: "me" },
      avatar(me.id, { online: true }),
      h("span", { class: "who" }, h("span", { class: "name" }, me.name), h("span", { class: "sub" }, "signed in")),
      h("button", { class: "ghost", onclick: () => signOut() }, "Sign out"),
    ),
  );
}

/** What the main pane shows before anything is open: a greeting and what to do. */
export function emptyState(icon: string, title: string, text: string): HTMLElement {
  return h(
    "div",
    { class: "empty" },
    h("div", { class: "brand-mark", "aria-hidden": "true" }, icon),
    h("h2", null, title),
    h("p", null, text),
  );
}
