import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max } from 'class-validator';
import { createValidationPipe, REMEMBERED_QUERIES } from './validation.pipe';

class PageQuery {
  @IsOptional()
  @IsIn(['name', 'activity'])
  sort?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Max(1000)
  limit?: number;
}

class OtherQuery {
  @IsOptional()
  @IsIn(['a'])
  sort?: string;
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('the validation pipe', () => {
  it('answers a repeated valid query alike, with a copy of its own each time', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ sort: 'name', limit: '20' }, query(PageQuery))) as PageQuery;
    first.limit = 1;
    const second = (await pipe.transform({ sort: 'name', limit: '20' }, query(PageQuery))) as PageQuery;
    expect(second).toBeInstanceOf(PageQuery);
    expect(second).toEqual({ sort: 'name', limit: 20 });
    expect(second).not.toBe(first);
  });

  it('refuses a bad query every time it comes, with what to fix', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i += 1)
      await expect(pipe.transform({ limit: '5000' }, query(PageQuery))).rejects.toMatchObject({
        details: { fields: [{ field: 'limit', problems: ['limit must not be greater than 1000'] }] },
      });
  });

  it('validates a repeated query once, apart per DTO class, remembering a bounded number', async () => {
    const pipe = createValidationPipe();
    const validations = jest.spyOn(ValidationPipe.prototype, 'transform');
    await pipe.transform({ sort: 'name' }, query(PageQuery));
    await pipe.transform({ sort: 'name' }, query(PageQuery));
    expect(validations).toHaveBeenCalledTimes(1);
    await expect(pipe.transform({ sort: 'name' }, query(OtherQuery))).rejects.toMatchObject({
      details: { fields: [{ field: 'sort' }] },
    });
    expect(validations).toHaveBeenCalledTimes(2);
    for (let i = 0; i < REMEMBERED_QUERIES; i += 1)
      expect(await pipe.transform({ limit: String(i) }, query(PageQuery))).toEqual({ limit: i });
    validations.mockClear();
    // The oldest was let go for the newest.
    await pipe.transform({ sort: 'name' }, query(PageQuery));
    await pipe.transform({ limit: String(REMEMBERED_QUERIES - 1) }, query(PageQuery));
    expect(validations).toHaveBeenCalledTimes(1);
    validations.mockRestore();
  });

  it('checks bodies every time (they are neither flat nor repeated)', async () => {
    const pipe = createValidationPipe();
    const body: ArgumentMetadata = { type: 'body', metatype: PageQuery };
    const first = await pipe.transform({ sort: 'name' }, body);
    expect(await pipe.transform({ sort: 'name' }, body)).toEqual(first);
    await expect(pipe.transform({ sort: 'x' }, body)).rejects.toMatchObject({
      details: { fields: [{ field: 'sort' }] },
    });
  });
});
