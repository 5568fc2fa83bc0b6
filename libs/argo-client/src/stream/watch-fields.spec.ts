import { watchFields } from './watch-fields';

describe(watchFields.name, () => {
  it('maps paths of one object to the fields of a list and of a stream, with what the watch reads itself', () => {
    expect(watchFields(['metadata.labels', 'status.phase'], 'object')).toEqual({
      list:
        'metadata.resourceVersion,metadata.continue,items.metadata.name,items.metadata.resourceVersion,' +
        'items.metadata.labels,items.status.phase',
      stream:
        'result.type,result.object.metadata.name,result.object.metadata.resourceVersion,' +
        'result.object.metadata.labels,result.object.status.phase,error',
    });
  });

  it("names Argo CD's object `application` and lists each path once", () => {
    expect(watchFields(['metadata.name', 'status.sync'], 'application').stream).toBe(
      'result.type,result.application.metadata.name,result.application.metadata.resourceVersion,' +
        'result.application.status.sync,error',
    );
  });

  it.each(['', 'a,b', '-status'])('refuses %j, which is no path of an object', (path) => {
    expect(() => watchFields([path], 'object')).toThrow(RangeError);
  });
});
