import { TextInput, type TextInputProps } from '@mantine/core';
import { useEffect, useState } from 'react';

/** JJ/MM/AAAA (what the officer types) ↔ AAAA-MM-JJ (what the services store). Parsing only. */
export function frToIso(text: string): string {
  const t = text.trim();
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  const compact = /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (compact) return `${compact[3]}-${compact[2]}-${compact[1]}`;
  return t; // left as typed: the service answers with a French message
}

export function isoToFr(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A date typed as JJ/MM/AAAA; value and onChange speak ISO. */
export function DateField({ value, onChange, ...props }: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange: (iso: string) => void }) {
  const [text, setText] = useState(() => isoToFr(value));
  useEffect(() => {
    if (frToIso(text) !== value) setText(isoToFr(value));
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <TextInput
      placeholder="JJ/MM/AAAA"
      inputMode="numeric"
      autoComplete="off"
      {...props}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange(frToIso(e.currentTarget.value));
      }}
    />
  );
}
