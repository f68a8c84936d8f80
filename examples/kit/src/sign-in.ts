import { h } from "./ui.js";

/** A signed-in user of the page: the token for `createClient`'s `auth`, and who it says they are. */
export interface Session<Profile> {
  token: string;
  user: { id: string; profile: Profile };
}

/** A choice the sign-in form offers besides the name (e.g. a role), sent along as `field`. */
export interface SignInChoice {
  field: string;
  legend: string;
  options: { value: string; label: string; hint: string }[];
}

export interface SignInPage {
  title: string;
  tagline: string;
  /** An emoji for the app's mark. */
  icon: string;
  choice?: SignInChoice;
}

/** The page's own storage slot: one session per tab (sessionStorage), so two tabs can be two people. */
const key = () => `roomkit-example:${location.pathname}`;
const NOTICE = "roomkit-example:notice";

/** The app's URL path, with a slash at the end: its API and Socket.IO server live under it. */
export const appBase = new URL(".", location.href).pathname;

/**
 * The signed-in user of this tab: from this tab's storage (so a reload keeps them), or from the
 * demo sign-in form, which posts the name to `api/sign-in` and gets a signed token back.
 */
export async function signIn<Profile>(page: SignInPage): Promise<Session<Profile>> {
  const saved = sessionStorage.getItem(key());
  if (saved) return JSON.parse(saved) as Session<Profile>;
  const session = await signInForm<Profile>(page);
  sessionStorage.setItem(key(), JSON.stringify(session));
  return session;
}

/** Forgets this tab's session and shows the sign-in form again, with `notice` on it. */
export function signOut(notice?: string): void {
  sessionStorage.removeItem(key());
  if (notice) sessionStorage.setItem(NOTICE, notice);
  location.reload();
}

/** Calls one of the app's JSON routes (`POST api/<path>`); throws the server's message. */
export async function api<T>(path: string, body: object = {}): Promise<T> {
  const res = await fetch(`${appBase}api/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const result = (await res.json().catch(() => ({ error: `the server answered ${res.status}` }))) as T & { error?: string };
  if (!res.ok) throw new Error(result.error ?? `the server answered ${res.status}`);
  return result;
}

function signInForm<Profile>(page: SignInPage): Promise<Session<Profile>> {
  return new Promise((done) => {
    const notice = sessionStorage.getItem(NOTICE);
    sessionStorage.removeItem(NOTICE);
    const error = h("p", { class: "form-error", role: "alert", id: "sign-in-error" });
    const name = h("input", {
      id: "name",
      name: "name",
      required: true,
      maxlength: 64,
      autocomplete: "username",
      autofocus: true,
      placeholder: "e.g. alice",
      "aria-describedby": "sign-in-error name-hint",
      spellcheck: "false",
    });
    const choice = page.choice;
    const form = h(
      "form",
      { class: "card sign-in", "aria-labelledby": "sign-in-title" },
      h("div", { class: "brand-mark", "aria-hidden": "true" }, page.icon),
      h("h1", { id: "sign-in-title" }, page.title),
      h("p", { class: "muted" }, page.tagline),
      notice ? h("p", { class: "notice" }, notice) : null,
      h("label", { for: "name" }, "Your name"),
      name,
      h("p", { class: "hint", id: "name-hint" }, "Letters, digits and . _ - @ + = ~ (no spaces). It is your user id."),
      choice &&
        h(
          "fieldset",
          { class: "choice" },
          h("legend", null, choice.legend),
          choice.options.map((o, i) =>
            h(
              "label",
              { class: "option" },
              h("input", { type: "radio", name: choice.field, value: o.value, checked: i === 0 }),
              h("span", null, h("strong", null, o.label), h("small", null, o.hint)),
            ),
          ),
        ),
      h("button", { class: "primary wide", type: "submit" }, "Sign in"),
      error,
      h(
        "p",
        { class: "demo-note" },
        h("strong", null, "Demo sign-in: "),
        "any name works and there is no password. The server signs a token for it with a secret it made at startup. ",
        "To chat with yourself, open this page in another tab and sign in as someone else.",
      ),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
      error.textContent = "";
      const button = form.querySelector("button")!;
      button.disabled = true;
      try {
        done(await api<Session<Profile>>("sign-in", { ...data, name: data.name?.trim() }));
      } catch (err) {
        error.textContent = (err as Error).message;
        name.focus();
      } finally {
        button.disabled = false;
      }
    });
    document.body.replaceChildren(h("main", { class: "center" }, form));
    name.focus();
  });
}
