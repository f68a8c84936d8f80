// Typechecks every TypeScript code block of the docs against the packages' source, in strict
// mode, so that an example that no longer compiles fails CI (`npm run check:docs`).
//
// Which pages: README.md, docs/*.md, and the README.md of every package and example.
// Which blocks: those fenced as ```ts or ```typescript, and ```tsx (React; from the first tsx
// block on, a page's blocks are checked as .tsx modules). What the info string after the language
// and the comments around a block may say:
//
//   ```ts partial        not checked: a deliberate fragment (keep these the exception).
//   ```ts file=a/b.ts    the block is the module a/b.ts of the page's app, which other blocks
//                        import by relative path (`../shared/contract`). When the repository has a
//                        file at that path (docs/quick-start/server.ts), the block must be that
//                        file, character for character.
//   <!-- declare: ... -->  hidden declarations the page's examples rely on, such as the app's own
//                        functions (`declare function render(...): void;`), seen by every block.
//
// A page builds on itself: each block sees the declarations of the blocks above it (a block
// that declares a name again shadows the earlier one), as if the reader typed them in order;
// a block that imports a name does not see the earlier blocks that declare that name.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Block {
  page: string;
  /** 1-based line of the first line of code in the page. */
  line: number;
  code: string;
  /** The module path of a `file=` block, relative to the page's app. */
  file?: string;
  /** A hidden `<!-- declare: -->` comment. */
  hidden?: boolean;
  /** Fenced as ```tsx: JSX. */
  tsx?: boolean;
}

function pages(): string[] {
  const readmes = (dir: string) =>
    (existsSync(join(root, dir)) ? readdirSync(join(root, dir)) : [])
      .map((name) => join(dir, name, "README.md"))
      .filter((path) => existsSync(join(root, path)));
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name));
  return ["README.md", ...docs, ...readmes("packages"), "examples/README.md", ...readmes("examples")].filter((p) =>
    existsSync(join(root, p)),
  );
}

function blocksOf(page: string): Block[] {
  const lines = readFileSync(join(root, page), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const declare = /^<!-- declare:\s*([\s\S]*?)(-->)?$/.exec(lines[i]!);
    if (declare) {
      const start = i;
      const body = [declare[1]!];
      while (!declare[2] && !lines[i]!.includes("-->") && i + 1 < lines.length) body.push(lines[++i]!);
      blocks.push({ page, line: start + 1, code: body.join("\n").replace(/-->\s*$/, ""), hidden: true });
      continue;
    }
    const fence = /^```(tsx|ts|typescript)\b(.*)$/.exec(lines[i]!);
    if (!fence) continue;
    const info = fence[2]!.trim().split(/\s+/).filter(Boolean);
    const start = i + 1;
    while (i + 1 < lines.length && !/^```\s*$/.test(lines[i + 1]!)) i++;
    const code = lines.slice(start, i + 1).join("\n");
    i++;
    if (info.includes("partial")) continue;
    const file = info.find((word) => word.startsWith("file="))?.slice("file=".length);
    blocks.push({ page, line: start + 1, code, ...(file ? { file } : {}), ...(fence[1] === "tsx" ? { tsx: true } : {}) });
  }
  return blocks;
}

const appRoot = (page: string) => join(root, "docs", ".checked", page.replace(/[^A-Za-z0-9]+/g, "-"));

/** One import binding (or a `declare`), keyed by the name it declares so that it is hoisted once. */
interface Hoisted {
  key: string;
  text: string;
}

function importsOf(statement: ts.ImportDeclaration, spec: string): Hoisted[] {
  const clause = statement.importClause;
  if (!clause) return [{ key: `side-effect ${spec}`, text: `import ${spec};` }];
  const typeOnly = clause.isTypeOnly ? "type " : "";
  const out: Hoisted[] = [];
  if (clause.name) out.push({ key: clause.name.text, text: `import ${typeOnly}${clause.name.text} from ${spec};` });
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings))
    out.push({ key: bindings.name.text, text: `import ${typeOnly}* as ${bindings.name.text} from ${spec};` });
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) {
      const imported = element.propertyName ? `${element.propertyName.text} as ` : "";
      const type = typeOnly || (element.isTypeOnly ? "type " : "");
      out.push({ key: element.name.text, text: `import ${type}{ ${imported}${element.name.text} } from ${spec};` });
    }
  }
  return out;
}

/** The names a block declares at its top level. */
function declaredNames(source: ts.SourceFile): string[] {
  return source.statements.flatMap((statement) => {
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    }
    const named =
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement);
    return named && statement.name ? [statement.name.text] : [];
  });
}

/** Imports and `declare`s go to the top of a checked module; the rest nests in block scopes. */
function split(block: Block, from: string): { hoisted: Hoisted[]; body: string; declares: string[] } {
  const source = block.tsx
    ? ts.createSourceFile("block.tsx", block.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TSX)
    : ts.createSourceFile("block.ts", block.code, ts.ScriptTarget.ES2022, true);
  const hoisted: Hoisted[] = [];
  let body = "";
  let cursor = 0;
  for (const statement of source.statements) {
    const isDeclare = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
    if (!ts.isImportDeclaration(statement) && !isDeclare) continue;
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const name = statement.moduleSpecifier.text;
      hoisted.push(...importsOf(statement, JSON.stringify(name.startsWith(".") ? resolve(from, name) : name)));
    } else {
      hoisted.push({ key: statement.getText(), text: statement.getText() });
    }
    body += block.code.slice(cursor, statement.getEnd()).replace(/[^\n]/g, " ");
    cursor = statement.getEnd();
  }
  body += block.code.slice(cursor);
  return { hoisted, body: body.replace(/^(\s*)export\s+(?!\{)/gm, "$1"), declares: declaredNames(source) };
}

/** The hoisted lines, the first binding of each name kept (a later block may import it again). */
function hoist(all: Hoisted[]): string {
  const byKey = new Map<string, string>();
  for (const h of all) if (!byKey.has(h.key)) byKey.set(h.key, h.text);
  return [...byKey.values()].join("\n");
}

interface Checked {
  path: string;
  text: string;
  /** Where the current block's code starts in `text`, and the page line it came from. */
  offset: number;
  block: Block;
}

function checkedModules(page: string): Checked[] {
  const blocks = blocksOf(page);
  const app = appRoot(page);
  const out: Checked[] = [];
  // Once a page has shown JSX, its later blocks (which include the earlier ones) are .tsx modules.
  const ext = (index: number) => (blocks.slice(0, index + 1).some((b) => b.tsx) ? "tsx" : "ts");
  blocks.forEach((block, index) => {
    if (block.hidden) return;
    const path = join(app, block.file ?? `app/block-${index}.${ext(index)}`);
    const own = split(block, dirname(path));
    // A name the block imports hides the earlier blocks that declare it (a client's `io` after a server's).
    const imported = new Set(own.hoisted.map((h) => h.key));
    const earlier = blocks
      .slice(0, index)
      .map((b, i) => split(b, dirname(join(app, b.file ?? `app/block-${i}.ts`))))
      .filter((e) => !e.declares.some((name) => imported.has(name)));
    const opening = earlier.map((e) => `{\n${e.body}\n`).join("");
    const head = `${hoist([...own.hoisted, ...earlier.flatMap((e) => e.hoisted)])}\nexport {};\n${opening}{\n`;
    const text = block.file ? block.code : `${head}${own.body}\n}${"}".repeat(earlier.length)}\n`;
    out.push({ path, text, offset: block.file ? 0 : head.length, block });
    if (block.file) {
      // A named module is checked on its own, and in the page's sequence under a second name.
      out.push({
        path: join(app, `app/block-${index}.${ext(index)}`),
        text: `${head}${own.body}\n}${"}".repeat(earlier.length)}\n`,
        offset: head.length,
        block,
      });
    }
  });
  return out;
}

function sameAsRepositoryFile(block: Block): string | undefined {
  if (!block.file || !existsSync(join(root, block.file))) return undefined;
  const file = readFileSync(join(root, block.file), "utf8").replace(/\n$/, "");
  return file === block.code
    ? undefined
    : `${block.page}:${block.line - 1}: the block file=${block.file} differs from ${block.file}; copy the file into the page`;
}

const options: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
  types: ["node"],
  skipLibCheck: true,
  noEmit: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  jsx: ts.JsxEmit.ReactJSX,
  baseUrl: root,
  paths: {
    "@roomkit/protocol": ["packages/protocol/src/index.ts"],
    "@roomkit/server": ["packages/server/src/index.ts"],
    "@roomkit/server/testing": ["packages/server/src/testing/index.ts"],
    "@roomkit/server/metrics": ["packages/server/src/metrics/index.ts"],
    "@roomkit/client": ["packages/client/src/index.ts"],
    "@roomkit/redis": ["packages/redis/src/index.ts"],
    "@roomkit/postgres": ["packages/postgres/src/index.ts"],
    "@roomkit/react": ["packages/react/src/index.ts"],
  },
};

const modules = pages().flatMap(checkedModules);
const virtual = new Map(modules.map((m) => [m.path, m.text]));
const host = ts.createCompilerHost(options);
const { fileExists, readFile, getSourceFile } = host;
host.fileExists = (path) => virtual.has(path) || fileExists(path);
host.readFile = (path) => virtual.get(path) ?? readFile(path);
const virtualDirs = new Set(
  [...virtual.keys()].flatMap((path) => {
    const dirs: string[] = [];
    for (let dir = dirname(path); dir.startsWith(join(root, "docs", ".checked")); dir = dirname(dir)) dirs.push(dir);
    return dirs;
  }),
);
const directoryExists = host.directoryExists?.bind(host);
host.directoryExists = (dir) => virtualDirs.has(dir) || (directoryExists ? directoryExists(dir) : true);
host.getSourceFile = (path, language, ...rest) => {
  const text = virtual.get(path);
  return text === undefined ? getSourceFile(path, language, ...rest) : ts.createSourceFile(path, text, language, true);
};
const program = ts.createProgram([...virtual.keys()], options, host);

const problems: string[] = modules
  .flatMap((m) => (m.path.endsWith(m.block.file ?? "\0") ? [sameAsRepositoryFile(m.block)] : []))
  .filter((p): p is string => !!p);
for (const m of modules) {
  const source = program.getSourceFile(m.path)!;
  const end = m.offset + m.block.code.length + 1;
  for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
    if (d.start === undefined || d.start < m.offset || d.start > end) continue;
    const { line } = source.getLineAndCharacterOfPosition(d.start);
    const first = source.getLineAndCharacterOfPosition(m.offset).line;
    problems.push(`${m.block.page}:${m.block.line + line - first}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n  ")}`);
  }
}
const unique = [...new Set(problems)];
for (const problem of unique) console.error(problem);
const count = modules.filter((m) => !m.path.includes("/app/block-") || !m.block.file).length;
console.log(
  `check-docs: ${count} blocks in ${pages().length} pages (${relative(root, join(root, "docs"))}/ and READMEs), ${unique.length} problems`,
);
process.exitCode = unique.length > 0 ? 1 : 0;
