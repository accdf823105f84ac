import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { PipelineNotFoundError, PipelineRunner } from '@orka/nestjs';

/** What the application's pipelines look like: their definitions and diagrams. */
@Controller('pipelines')
export class PipelinesController {
  constructor(private readonly runner: PipelineRunner) {}

  @Get()
  list() {
    return this.runner.pipelines().map((name) => this.runner.describe(name));
  }

  /** The pipeline as a Mermaid flowchart (paste it into any Mermaid renderer). */
  @Get(':name/diagram')
  @Header('content-type', 'text/plain; charset=utf-8')
  diagram(@Param('name') name: string) {
    try {
      return this.runner.toMermaid(name);
    } catch (err) {
      if (err instanceof PipelineNotFoundError) throw new NotFoundException(err.message);
      throw err;
    }
  }
}
