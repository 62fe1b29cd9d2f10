// A database's connection as `berth databases info` shows it: the password (also inside the URI)
// only when asked for, since terminals end up in screenshots and scrollback.
export interface ConnectionAnswer {
  uri: string;
  username: string;
  password: string;
  host: string;
  port: number;
  database: string;
}

export const hiddenPassword = '********';

export function hidePassword(connection: ConnectionAnswer): ConnectionAnswer {
  if (connection.password === '') return connection;
  const forms = [...new Set([connection.password, encodeURIComponent(connection.password)])];
  const uri = forms.reduce((text, form) => text.split(form).join(hiddenPassword), connection.uri);
  return { ...connection, uri, password: hiddenPassword };
}
