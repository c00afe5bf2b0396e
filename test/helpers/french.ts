// What the officer reads must be French: no code (snake_case token) and none of the English words
// the history used to show. Used by the history tests (services and screen).
const ENGLISH = /\b(backup|backups|restored|previous|kept|registration|registrations|attach|detach|create|update|delete|undo|person|piece|owner|role|entity|action|batch|import:\d+|null|undefined|true|false)\b/i;
const SNAKE = /\b[a-z]+(?:_[a-z0-9]+)+\b/;

/** The offending pieces of a text (empty when it reads as French). */
export function notFrench(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const snake = SNAKE.exec(line);
    if (snake) out.push(`code « ${snake[0]} » in « ${line.trim().slice(0, 120)} »`);
    const en = ENGLISH.exec(line);
    if (en) out.push(`English « ${en[0]} » in « ${line.trim().slice(0, 120)} »`);
  }
  return out;
}
