// "Content: Photo · Style: Painting  [Swap]": which selected layer plays which role, or what to select.
import { Button, Text, Muted } from '@create-figma-plugin/ui';
import type { Roles } from './use-roles';

export function RolesLine({ roles, workedOn, read, missing }: { roles: Roles; workedOn: string; read: string; missing: string }) {
  if (!roles.reference) return <Text><Muted>{missing}</Muted></Text>;
  return (
    <div class="pastiche-row" data-testid="roles">
      <Text>
        {workedOn}: {roles.others.map((l) => l.name).join(', ')} · {read}: {roles.reference.name}
      </Text>
      {roles.canSwap && (
        <Button secondary onClick={roles.swap} data-testid="swap-roles">
          Swap
        </Button>
      )}
    </div>
  );
}
