import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  Agency,
  AssignAgencyInput,
  CreateMeasureInput,
  Measure,
  ProgrammeStructure,
  UpdateMeasureInput,
} from '@dtp/contracts';
import { api } from '../../../lib/api';

export const programmeKeys = {
  structure: ['programme', 'structure'] as const,
  agencies: ['agencies'] as const,
};

export const structureQueryOptions = queryOptions({
  queryKey: programmeKeys.structure,
  queryFn: () => api.get<ProgrammeStructure>('/api/programme'),
});

export const agenciesQueryOptions = queryOptions({
  queryKey: programmeKeys.agencies,
  queryFn: () => api.get<Agency[]>('/api/agencies'),
});

const useStructureMutation = <I>(fn: (input: I) => Promise<unknown>) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: programmeKeys.structure }),
  });
};

export const useCreateMeasure = () =>
  useStructureMutation((input: CreateMeasureInput) => api.post<Measure>('/api/programme/measures', input));

export const useUpdateMeasure = () =>
  useStructureMutation(({ code, ...input }: UpdateMeasureInput & { code: string }) =>
    api.patch<Measure>(`/api/programme/measures/${encodeURIComponent(code)}`, input),
  );

export const useAssignAgency = () =>
  useStructureMutation(({ code, ...input }: AssignAgencyInput & { code: string }) =>
    api.post<Measure>(`/api/programme/measures/${encodeURIComponent(code)}/agencies`, input),
  );

export const useEndAssignment = () =>
  useStructureMutation(({ id, validTo }: { id: string; validTo: string }) =>
    api.patch(`/api/programme/assignments/${encodeURIComponent(id)}`, { validTo }),
  );
