/** One column of a meta.k8s.io Table (`priority` 1 columns are the ones `-o wide` adds). */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean' | 'number';
  format: string;
  description: string;
  priority: number;
}

/** The descriptions of ObjectMeta's fields, as the printers copy them from its Swagger doc. */
const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of a name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function column(
  name: string,
  description: string,
  options: { type?: TableColumn['type']; priority?: number } = {},
): TableColumn {
  return { name, type: options.type ?? 'string', format: '', description, priority: options.priority ?? 0 };
}

export const NAME_COLUMN: TableColumn = { ...column('Name', NAME_DOC), format: 'name' };
export const AGE_COLUMN = column('Age', CREATED_DOC);
export const CREATED_AT_COLUMN = column('Created At', CREATED_DOC, { type: 'date' });
export const CONTAINERS_COLUMN = column('Containers', 'Names of each container in the template.', {
  priority: 1,
});
export const IMAGES_COLUMN = column('Images', 'Images referenced by each container in the template.', {
  priority: 1,
});
