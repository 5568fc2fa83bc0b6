import { SettingsClass } from './settings-class';

interface ExampleSettings {
  name: string;
  limits: { max: number };
  optional?: string;
}

class ExampleConfig extends SettingsClass<ExampleSettings>() {}

describe(SettingsClass.name, () => {
  it('makes instances of the class that carry every setting they were built from', () => {
    const limits = { max: 3 };
    const config = new ExampleConfig({ name: 'task', limits });
    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config.name).toBe('task');
    expect(config.limits).toBe(limits);
    expect(config.optional).toBeUndefined();
  });
});
