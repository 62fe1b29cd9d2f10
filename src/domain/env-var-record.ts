// One runtime environment variable of an app; secret values are sealed in the store.
export interface EnvVar {
  id: string;
  appId: string;
  key: string;
  /** The plain value (unsealed); presenters mask secrets. */
  value: string;
  isSecret: boolean;
  createdAt: Date;
  updatedAt: Date;
}
