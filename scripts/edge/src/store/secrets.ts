/** A script's secret. The value stays inside the edge: the API lists names and types only. */
export interface SecretRecord {
  script: string;
  name: string;
  type: 'secret_text';
  text: string;
}
