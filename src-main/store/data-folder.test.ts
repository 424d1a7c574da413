import { describe, expect, it } from 'vitest';
import { dataFolderWarning } from './data-folder.ts';

describe('the data folder check on Windows', () => {
  const profile = 'C:\\Users\\ravi';

  it('trusts a folder inside the user profile: its inherited ACL admits only that user', () => {
    expect(
      dataFolderWarning('C:\\Users\\ravi\\AppData\\Roaming\\baglink-station', 'win32', profile),
    ).toBeNull();
  });

  it('warns about a folder outside the profile instead of pretending to chmod it', () => {
    expect(dataFolderWarning('D:\\baglink', 'win32', profile)).toMatch(
      /outside your user profile .*allow only your user in its Security settings/,
    );
    expect(dataFolderWarning('C:\\Users\\ravi-old\\station', 'win32', profile)).toMatch(/outside/);
  });
});
