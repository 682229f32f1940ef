/** A minimal Dockerfile reader for the static checks: instructions, stages and stage chains. */
export interface DockerInstruction {
  keyword: string;
  /** Arguments with line continuations joined (single spaces where a continuation was). */
  args: string;
  line: number;
}

export interface DockerStage {
  /** `FROM <from> [AS <name>]`, as written (variables not substituted). */
  from: string;
  name?: string;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  /** ARG instructions before the first FROM. */
  globalArgs: DockerInstruction[];
  stages: DockerStage[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: DockerInstruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines (also inside continuations) and blank lines are dropped, as Docker does.
    if (trimmed.startsWith('#') || trimmed === '') return;
    const continues = trimmed.endsWith('\\');
    const content = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    pending.parts.push(content);
    if (continues) return;
    const joined = pending.parts.filter(Boolean).join(' ');
    const [keyword, ...rest] = joined.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line });
    pending = undefined;
  });
  if (pending) throw new Error('Dockerfile ends inside a line continuation');

  const globalArgs: DockerInstruction[] = [];
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ from: words[0], name: asIndex >= 0 ? words[asIndex + 1] : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      globalArgs.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/**
 * The stage and the stages it is built FROM, nearest first, with build args substituted in FROM
 * (`FROM app-${APP}` with APP=auth-service is the stage named app-auth-service). The chain
 * ends at an external image; a reference to a missing stage name throws.
 */
export function stageChain(stages: DockerStage[], stage: DockerStage, buildArgs: Record<string, string>): DockerStage[] {
  const chain: DockerStage[] = [];
  let current: DockerStage | undefined = stage;
  while (current) {
    chain.push(current);
    const from: string = current.from.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_match, name: string) => buildArgs[name] ?? '');
    // A stage can only be built FROM a stage defined before it.
    const parent: DockerStage | undefined = stages.slice(0, stages.indexOf(current)).find((candidate): boolean => candidate.name === from);
    // A FROM built from a variable must name a stage; a typo would otherwise pull an image.
    if (!parent && from !== current.from) throw new Error(`FROM ${current.from} resolves to ${from}, which is not a stage`);
    current = parent;
  }
  return chain;
}
