// The engine's progress streams (pull, import, push, build): JSON messages, one per line, read to
// the end; an error message in the stream fails the whole operation.
import type Docker from 'dockerode';

export interface ProgressMessage {
  status?: string;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { Digest?: string; ID?: string };
}

export function followProgress(docker: Docker, stream: NodeJS.ReadableStream, onMessage: (message: ProgressMessage) => void = () => undefined): Promise<ProgressMessage[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: ProgressMessage[]) => {
        const failed = error ?? output.find((m) => m.error);
        if (failed) reject(failed instanceof Error ? failed : new Error(failed.error ?? failed.errorDetail?.message ?? 'the engine failed'));
        else resolve(output);
      },
      onMessage,
    );
  });
}
