import { connect } from "node:net";

/**
 * Sends one raw HTTP/1.1 request line that `fetch` cannot produce (an absolute-form target such as `http://[`)
 * and resolves with the status code of the answer, or null when the server closed the socket without one.
 */
export function rawRequestStatus(host: string, port: number, target: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      resolve(m ? Number(m[1]) : null);
    });
  });
}
