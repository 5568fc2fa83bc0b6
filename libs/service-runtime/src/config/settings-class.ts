/**
 * The base of a service's typed config class: its instances are the settings they were built
 * from, so the class (the DI token) restates no field of them. Use as
 * `class TaskConfig extends SettingsClass<TaskSettings>() {}`.
 */
export function SettingsClass<T extends object>(): new (settings: T) => Readonly<T> {
  return class {
    constructor(settings: T) {
      Object.assign(this, settings);
    }
  } as new (settings: T) => Readonly<T>;
}
