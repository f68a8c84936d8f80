import type { ClientOptions, RoomkitClient } from "@roomkit/client";
import type { AnyContract } from "@roomkit/protocol";
import { createContext, createElement, useContext, useEffect, useState } from "react";
import type { ReactNode } from "react";
import { RoomkitRuntime } from "./runtime.js";

const RuntimeContext = createContext<RoomkitRuntime | undefined>(undefined);

/**
 * The props of {@link RoomkitProvider}: the app's own client, or where to connect (the
 * provider then makes the client in the browser, never during server rendering, and closes
 * it when unmounted). Read once: to connect elsewhere, remount it (e.g. with a new `key`).
 */
export type RoomkitProviderProps<C extends AnyContract = AnyContract> = (
  | { client: RoomkitClient<C>; url?: never; options?: never }
  | { url: string; options?: ClientOptions; client?: never }
) & { children?: ReactNode };

/**
 * Owns one Roomkit client for the components under it. Hooks read it through this provider:
 * no global singleton, so tests and pages can hold several.
 *
 * @example
 * import { RoomkitProvider } from "@roomkit/react";
 *
 * root.render(
 *   <RoomkitProvider url="https://chat.example.com" options={{ auth: { token } }}>
 *     <App />
 *   </RoomkitProvider>,
 * );
 */
export function RoomkitProvider<C extends AnyContract = AnyContract>(props: RoomkitProviderProps<C>): ReactNode {
  const [runtime] = useState(() =>
    props.client !== undefined
      ? new RoomkitRuntime({ client: props.client as unknown as RoomkitClient<AnyContract> })
      : new RoomkitRuntime({ url: props.url, ...(props.options === undefined ? {} : { options: props.options }) }),
  );
  // The provider itself holds the client while mounted, so it connects even before any hook reads it.
  useEffect(() => {
    runtime.acquire();
    return () => runtime.release();
  }, [runtime]);
  return createElement(RuntimeContext.Provider, { value: runtime }, props.children);
}

/** The runtime of the nearest provider; a hook outside one is a bug, said at once. */
export function useRuntime(): RoomkitRuntime {
  const runtime = useContext(RuntimeContext);
  if (runtime === undefined) throw new Error("@roomkit/react: this hook must be used inside a <RoomkitProvider>");
  return runtime;
}
