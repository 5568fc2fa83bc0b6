import fs from 'node:fs';
import path from 'node:path';
import { CatalogError, parseCatalog } from './catalog';

const catalog = (parameter: string): string => `
templates:
  - name: web
    title: Web
    description: A web service.
    sourceRepo: web
    manifestsRepo: web-manifests
    parameters:
${parameter}
`;

function problems(text: string): string[] {
  try {
    parseCatalog(text);
    return [];
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
}

describe(parseCatalog.name, () => {
  it('refuses a string parameter without a pattern or a maxLength', () => {
    expect(problems(catalog('      - { name: greeting, type: string, default: hi }'))).toEqual([
      'templates[0].parameters[0] is a string parameter: it needs a pattern',
      'templates[0].parameters[0] is a string parameter: it needs a maxLength',
    ]);
    expect(
      problems(catalog('      - { name: greeting, type: string, pattern: "^[a-z]+$", maxLength: 0 }')),
    ).toEqual(['templates[0].parameters[0].maxLength must be a whole number of characters, at least 1']);
  });

  it('takes a string parameter with both, and checks its default against them', () => {
    const parsed = parseCatalog(
      catalog('      - { name: greeting, type: string, pattern: "^[a-z]+$", maxLength: 5, default: hello }'),
    );
    expect(parsed.find('web')?.parameters[0]).toEqual({
      name: 'greeting',
      type: 'string',
      pattern: '^[a-z]+$',
      maxLength: 5,
      default: 'hello',
    });
    expect(
      problems(
        catalog(
          '      - { name: greeting, type: string, pattern: "^[a-z]+$", maxLength: 3, default: hello }',
        ),
      ),
    ).toEqual(['templates[0].parameters[0].default must be at most 3 characters, got 5']);
  });

  it('needs neither for an integer or a boolean parameter', () => {
    expect(problems(catalog('      - { name: port, type: integer, default: "8080" }'))).toEqual([]);
  });

  it("accepts the repository's own catalog", () => {
    const text = fs.readFileSync(
      path.resolve(__dirname, '../../../../deploy/templates/catalog.yaml'),
      'utf8',
    );
    expect(parseCatalog(text).names).toEqual(['node-service', 'go-service']);
  });
});
