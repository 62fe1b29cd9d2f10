// A deployment's build log, live: everything so far, then each line as it is written.
import { useCallback, useState } from 'react';
import { useEventStream } from '../api/event-stream';
import { VirtualLines } from './virtual-lines';

interface BuildLine {
  seq: number;
  at: string;
  line: string;
}

export function BuildLog({ workspaceId, deployId, onEnd }: { workspaceId: string; deployId: string; onEnd: () => void }) {
  const [lines, setLines] = useState<BuildLine[]>([]);
  const [open, setOpen] = useState(false);
  const [ended, setEnded] = useState(false);
  const onData = useCallback((line: BuildLine) => setLines((all) => (all.length > 0 && (all[all.length - 1]?.seq ?? -1) >= line.seq ? all : [...all, line])), []);
  useEventStream<BuildLine>(`/api/v1/workspaces/${workspaceId}/deploy/${deployId}/logs/stream`, {
    onData,
    onOpenChange: setOpen,
    onEnd: () => {
      setEnded(true);
      onEnd();
    },
  });
  return (
    <section aria-labelledby="build-log-title">
      <h2 id="build-log-title">Build log</h2>
      <p className="muted" role="status">
        {ended ? `The log is complete (${lines.length} lines).` : open ? `Streaming live… ${lines.length} lines` : 'Connecting to the log stream…'}
      </p>
      <VirtualLines items={lines} label="Build log" follow render={(line) => line.line} />
    </section>
  );
}
