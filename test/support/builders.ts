// Fixture builders: the smallest valid request bodies, overridable field by field.
export const anApp = (overrides: Record<string, unknown> = {}) => ({
  name: 'My API',
  slug: `app-${Math.random().toString(36).slice(2, 10)}`,
  ...overrides,
});
