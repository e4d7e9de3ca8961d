import { Text, Muted, VerticalSpace } from '@create-figma-plugin/ui';

/** A technique panel that is not there yet says what it will do. */
export function ComingSoon({ title, lines }: { title: string; lines: string[] }) {
  return (
    <div data-testid="coming-soon">
      <Text>{title}</Text>
      <VerticalSpace space="small" />
      {lines.map((line) => (
        <>
          <Text><Muted>{line}</Muted></Text>
          <VerticalSpace space="extraSmall" />
        </>
      ))}
      <VerticalSpace space="small" />
      <Text><Muted>Coming soon.</Muted></Text>
    </div>
  );
}
