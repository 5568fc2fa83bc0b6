import { appNameProblem, gitRefProblem, imageTagProblem } from '@platform/domain';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A class-validator decorator from one of the domain's naming rules (they say what is wrong). */
function namingRule(name: string, problem: (value: string) => string | undefined) {
  return (options?: ValidationOptions): PropertyDecorator =>
    ValidateBy(
      {
        name,
        validator: {
          validate: (value: unknown) => typeof value === 'string' && problem(value) === undefined,
          defaultMessage: (args) => {
            const value: unknown = args?.value;
            const reason = typeof value === 'string' ? problem(value) : 'must be a string';
            return `${args?.property ?? 'value'} ${reason ?? 'is invalid'}`;
          },
        },
      },
      options,
    );
}

export const IsAppName = namingRule('isAppName', appNameProblem);
export const IsGitRef = namingRule('isGitRef', gitRefProblem);
export const IsImageTag = namingRule('isImageTag', imageTagProblem);
