import { runService, startFromEnv } from '@platform/service-runtime';
import { loadTaskConfig, SERVICE_NAME } from './config/task-config';
import { createTaskApp } from './create-app';

startFromEnv(SERVICE_NAME, async () => {
  const config = loadTaskConfig(process.env);
  await runService(await createTaskApp(config), config.runtime);
});
