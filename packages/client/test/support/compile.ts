import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** A compile error of a snippet: the line it is on (1-based, in the snippet) and its whole text. */
export interface SnippetError {
  line: number;
  text: string;
}

/**
 * Typechecks `source` as a file of this folder (`packages/client/test/`) with the repository's
 * test settings (strict, the packages' sources through tsconfig.test.json's paths), and returns its
 * errors as the compiler prints them (`noErrorTruncation` off, as in an editor or `tsc`).
 *
 * @example
 * const [error] = compileSnippet('rk.channel("nwes:1");');
 */
export function compileSnippet(source: string): SnippetError[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${ROOT}tsconfig.test.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error("tsconfig.test.json could not be read");
  const file = `${ROOT}packages/client/test/type-error-snippet.ts`;
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language, true) : getSourceFile.call(host, name, language, ...rest);
  const program = ts.createProgram({ rootNames: [file], options: { ...config.options, noEmit: true }, host });
  const snippet = program.getSourceFile(file)!;
  return ts.getPreEmitDiagnostics(program, snippet).map((d) => ({
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    text: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
}
