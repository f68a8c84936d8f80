/** The built-in prototypes a polluting key would reach (`__proto__`, `constructor.prototype`). */
const BUILT_INS: [string, object][] = [
  ["Object", Object],
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
  ["Number.prototype", Number.prototype],
  ["Boolean.prototype", Boolean.prototype],
  ["Uint8Array.prototype", Uint8Array.prototype],
  ["Buffer.prototype", Buffer.prototype],
];

type Snapshot = Map<PropertyKey, PropertyDescriptor>[];

const snapshot = (): Snapshot =>
  BUILT_INS.map(([, proto]) => new Map(Reflect.ownKeys(proto).map((k) => [k, Reflect.getOwnPropertyDescriptor(proto, k)!])));

const same = (a: PropertyDescriptor, b: PropertyDescriptor) =>
  a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable;

/**
 * Watches the built-in prototypes from now on: `changes()` lists every key added, removed or
 * given another value since, and `restore()` undoes them, so one polluting case fails its own
 * test and does not poison every later one in the process.
 *
 * @example
 * const prototypes = prototypeGuard();
 * await attack();
 * expect(prototypes.changes()).toEqual([]);
 */
export function prototypeGuard() {
  const before = snapshot();
  return {
    changes(): string[] {
      const now = snapshot();
      return BUILT_INS.flatMap(([name], i) => {
        const was = before[i]!;
        const is = now[i]!;
        const keys = new Set([...was.keys(), ...is.keys()]);
        return [...keys].filter((k) => !was.has(k) || !is.has(k) || !same(was.get(k)!, is.get(k)!)).map((k) => `${name}.${String(k)}`);
      });
    },
    restore(): void {
      BUILT_INS.forEach(([, proto], i) => {
        const was = before[i]!;
        for (const key of Reflect.ownKeys(proto)) if (!was.has(key)) Reflect.deleteProperty(proto, key);
        for (const [key, descriptor] of was) Reflect.defineProperty(proto, key, descriptor);
      });
    },
  };
}
