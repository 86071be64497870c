/** A deployment: which versions of a script serve traffic, and in which shares. */
export interface DeploymentVersion {
  version_id: string;
  percentage: number;
}

export interface DeploymentRecord {
  id: string;
  script: string;
  createdOn: string;
  source: string;
  authorEmail: string;
  strategy: 'percentage';
  versions: DeploymentVersion[];
  annotations: Record<string, string>;
}
