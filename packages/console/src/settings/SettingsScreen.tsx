export function SettingsScreen() {
  return <h1>General settings</h1>;
}
