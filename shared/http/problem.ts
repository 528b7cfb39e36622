import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpErrorOf } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

const typeFor = (status: number): string => `https://keiro.example/problems/${status}`;

/** Any thrown value → problem+json. Unknown errors become a 500 that exposes nothing internal. */
export const problemFrom = (thrown: unknown): { problem: Problem; headers: Record<string, string> } => {
  const error = httpErrorOf(thrown);
  if (error) {
    return {
      problem: {
        type: typeFor(error.status),
        title: error.title,
        status: error.status,
        detail: error.detail,
        ...(error.errors && error.errors.length > 0 ? { errors: error.errors } : {}),
      },
      headers: error.headers ?? {},
    };
  }
  return {
    problem: { type: typeFor(500), title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred' },
    headers: {},
  };
};

export const problemResponse = (error: unknown): APIGatewayProxyStructuredResultV2 => {
  const { problem, headers } = problemFrom(error);
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
    body: JSON.stringify(problem),
  };
};
